/** Loading and error states shared by the views. */
export function Loading() {
  return <div className="loading">Loading…</div>;
}

export function ErrorNote({ error }: { error: Error }) {
  return (
    <div className="notice error" role="alert">
      {error.message}
    </div>
  );
}
