/** Position-id filters in slices that stay well under every driver's parameter limit. */
const ID_CHUNK = 500;

/** The ids in slices for `IN (...)`, or one pass without a filter when `ids` is undefined. */
export function idChunks(ids: readonly string[] | undefined): (readonly string[] | undefined)[] {
  if (ids === undefined) return [undefined];
  const parts: (readonly string[])[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) parts.push(ids.slice(i, i + ID_CHUNK));
  return parts;
}
