import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const row = await locals.ctx.db
		.selectFrom('organisations')
		.select((eb) => eb.fn.countAll<number>().as('count'))
		.executeTakeFirstOrThrow();
	return { organisationCount: Number(row.count) };
};
