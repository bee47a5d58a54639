/**
 * Organisations are known by their e-mail domains, subdomains included:
 * "cid.met.police.uk" belongs to the organisation that owns "met.police.uk".
 */
import type { Kysely } from 'kysely';
import type { Database, OrganisationKind } from '../db/schema.ts';

function emailDomain(email: string): string {
	return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** "a.b.police.uk" → ["a.b.police.uk", "b.police.uk", "police.uk"] (never a bare top-level domain). */
export function candidateDomains(domain: string): string[] {
	const labels = domain.toLowerCase().split('.').filter(Boolean);
	const out: string[] = [];
	for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join('.'));
	return out;
}

export async function findOrganisationForEmail(
	db: Kysely<Database>,
	email: string
): Promise<{ id: number; name: string; kind: OrganisationKind } | undefined> {
	const candidates = candidateDomains(emailDomain(email));
	if (candidates.length === 0) return undefined;
	return db
		.selectFrom('organisationDomains')
		.innerJoin('organisations', 'organisations.id', 'organisationDomains.organisationId')
		.select(['organisations.id', 'organisations.name', 'organisations.kind'])
		.where('organisationDomains.domain', 'in', candidates)
		.orderBy((eb) => eb.fn('char_length', ['organisationDomains.domain']), 'desc')
		.limit(1)
		.executeTakeFirst();
}
