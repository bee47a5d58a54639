/**
 * The named contact on a practice entry is chosen by name from people the person writing
 * it can already see: for a group's entry, its members; for a site-wide entry, themselves,
 * the entry's authors, and anyone they share a group with. It is never looked up by e-mail address, so the form
 * cannot be used to learn who has an account (an outside review could: 303 or 400).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ChoiceNeeded, DomainError } from '../errors.ts';
import { isUuid } from '../ids.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** More matches than this and the person is asked to type more of the name. */
const MOST_CHOICES = 10;

export interface ContactScope {
	actorId: string;
	/** The group whose entry this is (its members only), or null for a site-wide entry. */
	groupId: number | null;
	/** The entry being edited, whose author and co-authors count as known; null for a new one. */
	entryId: number | null;
}

function visiblePeople(db: Db, { actorId, groupId: scopeGroupId, entryId }: ContactScope) {
	return db
		.selectFrom('users')
		.leftJoin('organisations', 'organisations.id', 'users.organisationId')
		.select(['users.id', 'users.displayName', 'organisations.name as organisation'])
		.where('users.status', '=', 'active')
		.where('users.emailVerifiedAt', 'is not', null)
		.where((eb) =>
			scopeGroupId !== null
				? eb.exists(
						eb
							.selectFrom('groupMembers')
							.select(sql`1`.as('x'))
							.whereRef('groupMembers.userId', '=', 'users.id')
							.where('groupMembers.groupId', '=', scopeGroupId)
					)
				: eb.or([
						eb('users.id', '=', actorId),
						eb(
							'users.id',
							'in',
							eb
								.selectFrom('practices')
								.select('practices.authorId')
								.where('practices.id', '=', entryId ?? -1)
								.union(
									eb
										.selectFrom('practiceCoauthors')
										.select('practiceCoauthors.userId as authorId')
										.where('practiceCoauthors.practiceId', '=', entryId ?? -1)
								)
						),
						eb.exists(
							eb
								.selectFrom('groupMembers as theirs')
								.innerJoin('groupMembers as mine', 'mine.groupId', 'theirs.groupId')
								.select(sql`1`.as('x'))
								.whereRef('theirs.userId', '=', 'users.id')
								.where('mine.userId', '=', actorId)
						)
					])
		);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The contact's account id, from the name typed and (when one was picked) the chosen id. */
export async function resolveContact(
	db: Db,
	scope: ContactScope,
	input: { name: string; chosenId: string }
): Promise<string | null> {
	const name = input.name.trim();
	if (!name && !input.chosenId) return null;
	const people = () => visiblePeople(db, scope);
	// A person picked from the choices (or kept from before) stands while the name still fits them.
	if (isUuid(input.chosenId)) {
		const chosen = await people()
			.where('users.id', '=', input.chosenId)
			.where('users.displayName', 'ilike', `%${escapeLike(name)}%`)
			.executeTakeFirst();
		if (chosen) return chosen.id;
	}
	if (!name) return null;
	let matches = await people()
		.where(sql<boolean>`lower(users.display_name) = lower(${name})`)
		.orderBy('users.displayName')
		.limit(MOST_CHOICES + 1)
		.execute();
	if (matches.length === 0) {
		matches = await people()
			.where('users.displayName', 'ilike', `%${escapeLike(name)}%`)
			.orderBy('users.displayName')
			.limit(MOST_CHOICES + 1)
			.execute();
	}
	if (matches.length === 1) return matches[0]!.id;
	const who = scope.groupId !== null ? 'No member of this group' : 'No one you share a group with';
	if (matches.length === 0)
		throw new DomainError(
			'invalid',
			`${who} is called “${name}”. Check the name, or name yourself`,
			'contact'
		);
	if (matches.length > MOST_CHOICES)
		throw new DomainError('invalid', `Many people match “${name}”: type more of their name`, 'contact');
	throw new ChoiceNeeded(
		`More than one person matches “${name}”: choose who readers should contact`,
		'contact',
		matches.map((m) => ({
			value: m.id,
			label: m.organisation ? `${m.displayName}, ${m.organisation}` : m.displayName
		}))
	);
}
