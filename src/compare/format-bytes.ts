const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']

/**
 * Bytes in decimal units with three significant digits, as `docker images` shows them.
 *
 * @example
 * formatBytes(123_456_789) // '123 MB'
 * formatBytes(1_500) // '1.50 kB'
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes)
  const sign = bytes < 0 ? '-' : ''
  let value = Math.abs(bytes)
  let unit = 0
  // Round first, so 999_999 B shows as 1.00 MB rather than 1000 kB.
  while (unit < UNITS.length - 1 && Number(value.toPrecision(3)) >= 1000) {
    value /= 1000
    unit++
  }
  const text = unit === 0 ? String(Math.round(value)) : value >= 100 ? value.toFixed(0) : value.toPrecision(3)
  return `${sign}${text} ${UNITS[unit]}`
}
