/** Portfolio totals at T, as a row of cards. */
import type { Totals as TotalsData } from '../api-types.js';
import { formatApr, formatUsd, sign } from '../format.js';

interface Card {
  label: string;
  value: string;
  tone?: string;
  note?: string;
  title?: string;
}

export function Totals({ totals }: { totals: TotalsData }) {
  const coverage = totals.current_apr_coverage;
  const cards: Card[] = [
    {
      label: 'Deployed',
      value: formatUsd(totals.deployed_usd),
      note: `${totals.active_positions} active · ${totals.closed_positions} closed`,
    },
    {
      label: 'Current value',
      value: formatUsd(totals.current_value_usd),
      note: 'active positions',
    },
    {
      label: 'Total PnL',
      value: formatUsd(totals.total_pnl),
      tone: sign(totals.total_pnl),
      note: `realized ${formatUsd(totals.realized_pnl)} · live ${formatUsd(totals.live_pnl)}`,
    },
    {
      label: 'Earnings',
      value: formatUsd(totals.total_earnings),
      tone: sign(totals.total_earnings),
      note: `base ${formatUsd(totals.base_earnings)} · rewards ${formatUsd(totals.reward_earnings)}`,
    },
    { label: 'Fees', value: formatUsd(totals.total_fees) },
    {
      label: 'Realized APR',
      value: formatApr(totals.realized_apr),
      tone: sign(totals.realized_apr),
      note: 'weighted by capital × time',
      title: 'sum of PnL / sum of deployment × years held, active and closed positions',
    },
    {
      label: 'Current APR',
      value: formatApr(totals.current_apr),
      tone: sign(totals.current_apr),
      note:
        coverage === null || coverage >= 0.9999
          ? 'weighted by capital'
          : `weighted by capital · ${Math.round(coverage * 100)}% of it has fresh rates`,
      title: 'sum of deployment × current APR / sum of deployment, active positions',
    },
  ];
  return (
    <section className="totals" aria-label="Portfolio totals">
      {cards.map((card) => (
        <div className="card" key={card.label} title={card.title}>
          <div className="card-label">{card.label}</div>
          <div className={`card-value ${card.tone ?? ''}`}>{card.value}</div>
          {card.note !== undefined && <div className="card-note">{card.note}</div>}
        </div>
      ))}
    </section>
  );
}
