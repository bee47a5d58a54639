/** An audit row's details as one line a person reads: "reason: …; person: …", leaving out empty values. */
export function describeDetails(details: Record<string, unknown> | null | undefined): string {
	return Object.entries(details ?? {})
		.filter(([, v]) => v !== null && v !== undefined && v !== '')
		.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
		.join('; ');
}
