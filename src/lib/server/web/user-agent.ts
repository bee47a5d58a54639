/** "Firefox on Windows" from a User-Agent header: enough for a person to recognise a device. */
export function describeUserAgent(ua: string | null): string {
	if (!ua) return 'Unknown browser';
	const browser = /Edg\//.test(ua)
		? 'Microsoft Edge'
		: /Firefox\//.test(ua)
			? 'Firefox'
			: /Chrome\//.test(ua) || /Chromium\//.test(ua)
				? 'Chrome'
				: /Safari\//.test(ua)
					? 'Safari'
					: 'Unknown browser';
	const os = /Windows/.test(ua)
		? 'Windows'
		: /iPhone|iPad/.test(ua)
			? 'iOS'
			: /Android/.test(ua)
				? 'Android'
				: /Mac OS X|Macintosh/.test(ua)
					? 'macOS'
					: /Linux/.test(ua)
						? 'Linux'
						: undefined;
	return os ? `${browser} on ${os}` : browser;
}
