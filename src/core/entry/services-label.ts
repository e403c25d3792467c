/** The services of an entry in a table cell or a file name: a few by name, many by count ("1000 services"). */
export function servicesLabel(services: string[], separator = ','): string {
  return services.length > 3 ? `${services.length}${separator === '-' ? '-' : ' '}services` : services.join(separator);
}
