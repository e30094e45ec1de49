/**
 * The keys of a schema's properties in the order its uiSchema's `ui:order` gives (its '*' standing
 * for the rest, as react-jsonschema-form reads it), else as declared. Shared by the form screen
 * and the printed form, so both list the criteria alike.
 */
export function uiOrdered(keys: string[], order: unknown): string[] {
  if (!Array.isArray(order)) return keys
  const named = order.filter((k): k is string => typeof k === 'string' && k !== '*' && keys.includes(k))
  const rest = keys.filter((k) => !named.includes(k))
  const star = order.indexOf('*')
  return star < 0 ? [...named, ...rest] : [...named.slice(0, star), ...rest, ...named.slice(star)]
}
