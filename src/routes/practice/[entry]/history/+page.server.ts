import type { PageServerLoad } from './$types';
import { entryHistory } from '$lib/server/practice/practice-entry.service';
import { practiceIdParam } from '$lib/server/web/post-params';
import { formatDateTime } from '$lib/format';
import { pageError } from '$lib/server/web/actions';

export const load: PageServerLoad = async ({ locals, params }) => {
	const id = practiceIdParam(params.entry);
	try {
		const history = await entryHistory(locals.ctx, locals.user!, id);
		return {
			title: history.title,
			path: history.path,
			rows: history.rows.map((r) => ({
				id: r.id,
				decision: r.decision,
				comment: r.comment,
				title: r.title,
				reviewerName: r.reviewerName,
				editorName: r.editorName,
				current: r.current,
				when: formatDateTime(r.decidedAt)
			}))
		};
	} catch (err) {
		pageError(err);
	}
};
