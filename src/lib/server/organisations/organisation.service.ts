/**
 * Administrators keep the list of organisations and their e-mail domains.
 * Every change is audited. Adding a domain brings guest accounts on that domain into
 * the organisation, since that is what "unknown domain" meant for them.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { DomainError, isUniqueViolation } from '../errors.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { OrganisationKind } from '../db/schema.ts';
import type { RequestMeta } from '../request-meta.ts';
import { requireAdmin, type Administrator } from '../policy/site.policy.ts';
import { inTransaction } from '../db/transaction.ts';

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

export const organisationSchema = z.object({
	name: z
		.string()
		.trim()
		.min(2, { message: 'Enter the organisation’s name' })
		.max(200, { message: 'Name must be 200 characters or fewer' }),
	kind: z.enum(['police', 'partner'], {
		message: 'Select whether this is a police force or a partner organisation'
	})
});

export const domainSchema = z.object({
	domain: z
		.string()
		.trim()
		.toLowerCase()
		.transform((v) => v.replace(/^@/, ''))
		.refine((v) => v.length > 0, { message: 'Enter a domain, like kent.police.uk' })
		.refine((v) => v.length <= 253 && DOMAIN.test(v), {
			message: 'Enter a domain in the correct format, like kent.police.uk'
		})
});

type Admin = Administrator;

export interface OrganisationRow {
	id: number;
	name: string;
	kind: OrganisationKind;
	domains: string[];
	members: number;
}

export async function listOrganisations(ctx: AppContext): Promise<OrganisationRow[]> {
	const rows = await ctx.db
		.selectFrom('organisations')
		.select((eb) => [
			'organisations.id',
			'organisations.name',
			'organisations.kind',
			eb
				.selectFrom('organisationDomains')
				.select(sql<string[]>`coalesce(array_agg(domain order by domain), '{}')`.as('d'))
				.whereRef('organisationDomains.organisationId', '=', 'organisations.id')
				.as('domains'),
			eb
				.selectFrom('users')
				.select((u) => u.fn.countAll<number>().as('n'))
				.whereRef('users.organisationId', '=', 'organisations.id')
				.as('members')
		])
		.orderBy('organisations.name')
		.execute();
	return rows.map((r) => ({ ...r, domains: r.domains ?? [], members: Number(r.members ?? 0) }));
}

export async function getOrganisation(ctx: AppContext, id: number): Promise<OrganisationRow> {
	const found = (await listOrganisations(ctx)).find((o) => o.id === id);
	if (!found) throw new DomainError('not_found', 'Page not found');
	return found;
}

export async function createOrganisation(
	ctx: AppContext,
	admin: Admin,
	input: { name: string; kind: OrganisationKind },
	meta: RequestMeta
): Promise<number> {
	requireAdmin(admin);
	try {
		return await inTransaction(ctx.db, async (trx) => {
			const org = await trx
				.insertInto('organisations')
				.values(input)
				.returning('id')
				.executeTakeFirstOrThrow();
			await appendAudit(trx, {
				actor: { id: admin.id, label: admin.email },
				action: 'organisation.created',
				target: { type: 'organisation', id: String(org.id), label: input.name },
				details: { kind: input.kind },
				ipAddress: meta.ip
			});
			return org.id;
		});
	} catch (err) {
		if (isUniqueViolation(err))
			throw new DomainError('conflict', 'There is already an organisation with that name', 'name');
		throw err;
	}
}

export async function renameOrganisation(
	ctx: AppContext,
	admin: Admin,
	id: number,
	name: string,
	meta: RequestMeta
): Promise<void> {
	requireAdmin(admin);
	try {
		await inTransaction(ctx.db, async (trx) => {
			const before = await trx
				.selectFrom('organisations')
				.select('name')
				.where('id', '=', id)
				.forUpdate()
				.executeTakeFirst();
			if (!before) throw new DomainError('not_found', 'Page not found');
			if (before.name === name) return;
			await trx.updateTable('organisations').set({ name }).where('id', '=', id).execute();
			await appendAudit(trx, {
				actor: { id: admin.id, label: admin.email },
				action: 'organisation.renamed',
				target: { type: 'organisation', id: String(id), label: name },
				details: { from: before.name, to: name },
				ipAddress: meta.ip
			});
		});
	} catch (err) {
		if (isUniqueViolation(err))
			throw new DomainError('conflict', 'There is already an organisation with that name', 'name');
		throw err;
	}
}

export async function addDomain(
	ctx: AppContext,
	admin: Admin,
	id: number,
	domain: string,
	meta: RequestMeta
): Promise<{ guestsJoined: number }> {
	requireAdmin(admin);
	try {
		return await addDomainOnce(ctx, admin, id, domain, meta);
	} catch (err) {
		// Someone added the same domain at the same moment.
		if (isUniqueViolation(err))
			throw new DomainError('conflict', `${domain} already belongs to an organisation`, 'domain');
		throw err;
	}
}

async function addDomainOnce(
	ctx: AppContext,
	admin: Admin,
	id: number,
	domain: string,
	meta: RequestMeta
): Promise<{ guestsJoined: number }> {
	return inTransaction(ctx.db, async (trx) => {
		const org = await trx
			.selectFrom('organisations')
			.select(['name', 'kind'])
			.where('id', '=', id)
			.executeTakeFirst();
		if (!org) throw new DomainError('not_found', 'Page not found');
		const owner = await trx
			.selectFrom('organisationDomains')
			.innerJoin('organisations', 'organisations.id', 'organisationDomains.organisationId')
			.select('organisations.name')
			.where('organisationDomains.domain', '=', domain)
			.executeTakeFirst();
		if (owner) throw new DomainError('conflict', `${domain} already belongs to ${owner.name}`, 'domain');
		await trx.insertInto('organisationDomains').values({ domain, organisationId: id }).execute();
		// Guests whose address is on this domain (or a subdomain) now belong here.
		const guests = await trx
			.updateTable('users')
			.set({ organisationId: id, kind: org.kind, updatedAt: ctx.now() })
			.where('kind', '=', 'guest')
			.where((eb) => eb.or([eb('email', 'ilike', `%@${domain}`), eb('email', 'ilike', `%.${domain}`)]))
			.returning('id')
			.execute();
		await appendAudit(trx, {
			actor: { id: admin.id, label: admin.email },
			action: 'organisation.domain_added',
			target: { type: 'organisation', id: String(id), label: org.name },
			details: { domain, guestsJoined: guests.length },
			ipAddress: meta.ip
		});
		return { guestsJoined: guests.length };
	});
}

export async function removeDomain(
	ctx: AppContext,
	admin: Admin,
	id: number,
	domain: string,
	meta: RequestMeta
): Promise<void> {
	requireAdmin(admin);
	await inTransaction(ctx.db, async (trx) => {
		const removed = await trx
			.deleteFrom('organisationDomains')
			.where('organisationId', '=', id)
			.where('domain', '=', domain)
			.returning('domain')
			.executeTakeFirst();
		if (!removed)
			throw new DomainError('not_found', 'That domain is not on this organisation’s list.', 'domain');
		const org = await trx
			.selectFrom('organisations')
			.select('name')
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		// Existing members keep their organisation; only new registrations are affected.
		await appendAudit(trx, {
			actor: { id: admin.id, label: admin.email },
			action: 'organisation.domain_removed',
			target: { type: 'organisation', id: String(id), label: org.name },
			details: { domain },
			ipAddress: meta.ip
		});
	});
}
