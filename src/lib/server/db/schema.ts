/**
 * Table types for Kysely. Migrations own the truth; these mirror them.
 * Conventions: Generated<> for columns the database fills, `T | null` for nullable
 * columns (never optional), camelCase here via CamelCasePlugin, snake_case in SQL.
 */
import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type OrganisationKind = 'police' | 'partner';

export interface OrganisationsTable {
	id: Generated<number>;
	name: string;
	kind: OrganisationKind;
	createdAt: Generated<Timestamp>;
}

export interface OrganisationDomainsTable {
	domain: string;
	organisationId: number;
	createdAt: Generated<Timestamp>;
}

export interface Database {
	organisations: OrganisationsTable;
	organisationDomains: OrganisationDomainsTable;
}
