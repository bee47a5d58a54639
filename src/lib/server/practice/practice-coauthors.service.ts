/**
 * Co-authors: the author adds people who may read the entry's scope; they may then read and
 * edit the working version, and are told of every change.
 */
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { DomainError } from '../errors.ts';
import { mailFooter, queueMail } from '../mail/mail.ts';
import type { RequestMeta } from '../request-meta.ts';
import { practicePath } from './practice.schemas.ts';
import { inTransaction } from '../db/transaction.ts';
import { loadEntry, readsEntryScope } from '../policy/practice.access.ts';
import { audit, currentTitle } from './practice-notices.ts';

export async function addCoauthor(
	ctx: AppContext,
	user: SessionUser,
	id: number,
	email: string,
	meta: RequestMeta
): Promise<string> {
	return inTransaction(ctx.db, async (trx) => {
		const loaded = await loadEntry(ctx, trx, user, id, 'add_coauthor', { forUpdate: true });
		const person = await trx
			.selectFrom('users')
			.select(['id', 'displayName', 'email'])
			// A co-author must be able to read the entry's scope, or the draft would leak.
			.select((eb) => readsEntryScope(eb, id).as('mayRead'))
			.where(sql<boolean>`lower(email) = lower(${email.trim()})`)
			.executeTakeFirst();
		const refuse = () =>
			new DomainError(
				'invalid',
				loaded.entry.groupId
					? 'Enter the e-mail address of a member of this group'
					: 'Enter the e-mail address of a police or partner account on Muster',
				'email'
			);
		if (!person) throw refuse();
		if (person.id === loaded.entry.authorId)
			throw new DomainError('invalid', 'You are already the author.', 'email');
		if (!person.mayRead) throw refuse();
		const added = await trx
			.insertInto('practiceCoauthors')
			.values({ practiceId: id, userId: person.id, addedAt: ctx.now() })
			.onConflict((oc) => oc.doNothing())
			.returning('userId')
			.executeTakeFirst();
		if (!added) throw new DomainError('conflict', `${person.displayName} is already a co-author.`, 'email');
		const title = await currentTitle(trx, id);
		await audit(trx, user, 'practice.coauthor_added', { id, title }, meta, { coauthor: person.email });
		await queueMail(trx, {
			to: person.email,
			subject: `You are now a co-author of “${title}”`,
			text:
				`${user.displayName} added you as a co-author of the good-practice entry “${title}”.\n\n` +
				`You can read and edit it at ${ctx.config.origin}${practicePath({ id, title })}` +
				mailFooter(ctx.config.origin)
		});
		return person.displayName;
	});
}
