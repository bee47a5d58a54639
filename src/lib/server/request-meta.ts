/** What the edges know about a request that services may record (audit, sessions, limits). */
export interface RequestMeta {
	ip: string | null;
	userAgent: string | null;
}
