/** Market identity: protocols compare without case, coin types after address normalization. */

/** `0x0…02::sui::SUI` -> `0x2::sui::SUI`; module and type names keep their case. */
export function normalizeCoinType(coinType: string): string {
  const text = coinType.trim();
  const sep = text.indexOf('::');
  const address = sep === -1 ? text : text.slice(0, sep);
  const rest = sep === -1 ? '' : text.slice(sep);
  const hex = address.toLowerCase().replace(/^0x/, '');
  const trimmed = hex.replace(/^0+/, '');
  return `0x${trimmed === '' ? '0' : trimmed}${rest}`;
}

export function normalizeProtocol(protocol: string): string {
  return protocol.trim().toLowerCase();
}

/** The key of one market: `protocol|coinType`, both normalized. */
export function marketKey(protocol: string, coinType: string): string {
  return `${normalizeProtocol(protocol)}|${normalizeCoinType(coinType)}`;
}
