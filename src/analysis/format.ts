/** Number formatting for human reasons: short, stable, and explicit about infinities. */

export function num(value: number | undefined, digits = 3): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < 1e6) return String(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(value.toPrecision(digits)));
}

export function percent(rate: number | undefined): string {
  if (rate === undefined || Number.isNaN(rate)) return 'n/a';
  return `${num(rate * 100)}%`;
}

export function interval(bounds: [number, number] | undefined): string {
  return bounds ? `[${num(bounds[0])}, ${num(bounds[1])}]` : '[n/a]';
}
