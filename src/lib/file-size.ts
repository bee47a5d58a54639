/** A size as people read it: "840 bytes", "12 KB", "3.4 MB" (1 KB = 1,024 bytes, as file managers say). */
export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
	const kb = bytes / 1024;
	if (kb < 1024) return `${kb < 10 ? kb.toFixed(1) : Math.round(kb)} KB`;
	const mb = kb / 1024;
	return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}
