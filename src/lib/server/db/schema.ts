/**
 * Table types for Kysely. Migrations own the truth; these mirror them.
 * Conventions: Generated<> for columns the database fills, `T | null` for nullable
 * columns (never optional), camelCase here via CamelCasePlugin, snake_case in SQL.
 * A row as it is read is `Row<'table'>`: build view types from it (Pick, Omit) rather than
 * writing the columns out again.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

export type OrganisationKind = 'police' | 'partner';

export interface OrganisationsTable {
	id: Generated<number>;
	name: string;
	kind: OrganisationKind;
	createdAt: Generated<Date>;
}

export interface OrganisationDomainsTable {
	domain: string;
	organisationId: number;
	createdAt: Generated<Date>;
}

export type AccountKind = 'police' | 'partner' | 'guest';
export type AccountStatus = 'active' | 'suspended';

export interface UsersTable {
	id: Generated<string>;
	email: string;
	displayName: string;
	jobTitle: string | null;
	bio: string | null;
	organisationId: number | null;
	kind: AccountKind;
	isAdmin: Generated<boolean>;
	status: Generated<AccountStatus>;
	suspendedAt: Date | null;
	suspendedReason: string | null;
	emailVerifiedAt: Date | null;
	passwordHash: string | null;
	passwordChangedAt: Date | null;
	totpKeyEncrypted: string | null;
	totpEnabledAt: Date | null;
	/** The time step of the last accepted code: codes at or before it are refused. */
	totpLastStep: number | null;
	/** Reviews site-wide good-practice entries (given by an administrator). */
	practiceReviewer: Generated<boolean>;
	createdAt: Generated<Date>;
	updatedAt: Generated<Date>;
	/** May publish to the site library (given by an administrator). */
	libraryPublisher: Generated<boolean>;
}

export interface SessionsTable {
	id: string;
	userId: string;
	createdAt: Generated<Date>;
	expiresAt: Date;
	lastSeenAt: Generated<Date>;
	twoFactorVerified: Generated<boolean>;
	userAgent: string | null;
	ipAddress: string | null;
}

export type EmailTokenPurpose = 'verify_email' | 'reset_password' | 'set_password' | 'setup';

export interface EmailTokensTable {
	id: string;
	purpose: EmailTokenPurpose;
	userId: string | null;
	email: string | null;
	createdAt: Generated<Date>;
	expiresAt: Date;
	usedAt: Date | null;
}

export interface RecoveryCodesTable {
	userId: string;
	codeHash: string;
	usedAt: Date | null;
}

export interface RateLimitsTable {
	key: string;
	hits: number;
	windowEndsAt: Date;
	lockedUntil: Date | null;
}

export interface OutboxTable {
	id: Generated<number>;
	toAddress: string;
	subject: string;
	textBody: string;
	htmlBody: string | null;
	headers: ColumnType<Record<string, string>, string | undefined, never>;
	createdAt: Generated<Date>;
	sentAt: Date | null;
	attempts: Generated<number>;
	lastError: string | null;
}

export interface AuditLogTable {
	id: Generated<number>;
	occurredAt: Date;
	actorId: string | null;
	actorLabel: string | null;
	action: string;
	targetType: string | null;
	targetId: string | null;
	targetLabel: string | null;
	details: ColumnType<Record<string, unknown>, string, never>;
	ipAddress: string | null;
	prevHash: string | null;
	hash: string;
}

export type GroupVisibility = 'open' | 'restricted' | 'private';
export type GroupAudience = 'police' | 'police_partner';
export type GroupRole = 'owner' | 'moderator' | 'member';

export interface GroupsTable {
	id: Generated<number>;
	slug: string;
	name: string;
	description: Generated<string>;
	descriptionHtml: Generated<string>;
	visibility: GroupVisibility;
	audience: GroupAudience;
	createdBy: string | null;
	createdAt: Generated<Date>;
	updatedAt: Generated<Date>;
	archivedAt: Date | null;
	memberCount: Generated<number>;
	lastActivityAt: Generated<Date>;
	/** Messages about this group say only that there is something new (sensitive groups). */
	emailWithoutContent: Generated<boolean>;
	/** Members (not only moderators) may add documents to the group's library. */
	membersMayUpload: Generated<boolean>;
	/** The text-search vector, kept by a trigger (migrations/…_search.ts); never written here. */
	search: ColumnType<string | null, never, never>;
}

export interface GroupMembersTable {
	groupId: number;
	userId: string;
	role: GroupRole;
	joinedAt: Generated<Date>;
}

export interface GroupBansTable {
	groupId: number;
	userId: string;
	reason: string;
	bannedBy: string | null;
	bannedAt: Generated<Date>;
}

export interface MembershipRequestsTable {
	id: Generated<number>;
	groupId: number;
	userId: string;
	message: Generated<string>;
	status: Generated<'pending' | 'approved' | 'declined' | 'withdrawn'>;
	createdAt: Generated<Date>;
	decidedBy: string | null;
	decidedAt: Date | null;
	reason: string | null;
}

export interface InvitationsTable {
	id: Generated<number>;
	groupId: number;
	email: string;
	tokenHash: string;
	invitedBy: string | null;
	createdAt: Generated<Date>;
	expiresAt: Date;
	status: Generated<'pending' | 'accepted' | 'declined' | 'revoked'>;
	respondedAt: Date | null;
}

export interface ThreadsTable {
	id: Generated<number>;
	groupId: number;
	authorId: string | null;
	title: string;
	pinned: Generated<boolean>;
	lockedAt: Date | null;
	lockReason: string | null;
	createdAt: Generated<Date>;
	lastPostAt: Generated<Date>;
	lastPosterId: string | null;
	postCount: Generated<number>;
	answerPostId: number | null;
	/** The text-search vector, kept by a trigger (migrations/…_search.ts); never written here. */
	search: ColumnType<string | null, never, never>;
}

export interface PostsTable {
	id: Generated<number>;
	threadId: number;
	number: number;
	authorId: string | null;
	source: string;
	html: string;
	createdAt: Generated<Date>;
	editedAt: Date | null;
	deletedAt: Date | null;
	hiddenAt: Date | null;
	hiddenBy: string | null;
	hiddenReason: string | null;
	helpfulCount: Generated<number>;
	/** The thread's group, kept by triggers (set on insert, changed when the thread moves); never written here. */
	groupId: ColumnType<number, never, never>;
	/** The text-search vector, kept by a trigger (migrations/…_search.ts); never written here. */
	search: ColumnType<string | null, never, never>;
}

export interface PostRevisionsTable {
	id: Generated<number>;
	postId: number;
	source: string;
	html: string;
	writtenAt: Date;
	replacedAt: Generated<Date>;
}

export interface PostHelpfulTable {
	postId: number;
	userId: string;
	createdAt: Generated<Date>;
}

export interface ThreadReadsTable {
	userId: string;
	threadId: number;
	lastReadNumber: number;
	updatedAt: Generated<Date>;
}

export interface EventsTable {
	id: Generated<number>;
	channel: string;
	type: string;
	payload: ColumnType<Record<string, unknown>, string, never>;
	createdAt: Generated<Date>;
}

export interface EventPrunesTable {
	channel: string;
	prunedThrough: number;
}

export type PracticeEffectiveness = 'worked' | 'promising' | 'untested' | 'did_not_work';
export type PracticeStage = 'idea' | 'pilot' | 'established' | 'ended';
export type PracticeScale = 'local' | 'force' | 'regional' | 'national';
export type PracticeVersionStatus = 'draft' | 'in_review' | 'returned' | 'published' | 'superseded';

export interface PracticeTopicsTable {
	id: Generated<number>;
	name: string;
	retiredAt: Date | null;
	createdAt: Generated<Date>;
}

export interface PracticesTable {
	id: Generated<number>;
	groupId: number | null;
	authorId: string;
	publishedVersionId: number | null;
	workingVersionId: number | null;
	sourceThreadId: number | null;
	discussionThreadId: number | null;
	firstPublishedAt: Date | null;
	lastPublishedAt: Date | null;
	archivedAt: Date | null;
	archivedBy: string | null;
	archivedReason: string | null;
	createdAt: Generated<Date>;
	updatedAt: Generated<Date>;
}

export interface PracticeVersionsTable {
	id: Generated<number>;
	practiceId: number;
	status: PracticeVersionStatus;
	title: string;
	summary: string;
	aim: Generated<string>;
	aimHtml: Generated<string>;
	done: Generated<string>;
	doneHtml: Generated<string>;
	outcome: Generated<string>;
	outcomeHtml: Generated<string>;
	results: Generated<string>;
	resultsHtml: Generated<string>;
	lessons: Generated<string>;
	lessonsHtml: Generated<string>;
	effectiveness: PracticeEffectiveness | null;
	stage: PracticeStage | null;
	leadOrganisationId: number | null;
	partners: Generated<string>;
	region: string | null;
	scale: PracticeScale | null;
	targetGroup: Generated<string>;
	/** ISO dates; read them with `::text` (drivers differ on `date`). */
	startDate: string | null;
	endDate: string | null;
	contactId: string | null;
	links: Generated<string>;
	topicIds: ColumnType<number[], number[] | undefined, number[]>;
	editedBy: string | null;
	createdAt: Generated<Date>;
	updatedAt: Generated<Date>;
	submittedAt: Date | null;
	reviewedBy: string | null;
	reviewedAt: Date | null;
	reviewComment: string | null;
	/** The text-search vector, kept by a trigger (migrations/…_search.ts); never written here. */
	search: ColumnType<string | null, never, never>;
}

export interface PracticeCoauthorsTable {
	practiceId: number;
	userId: string;
	addedAt: Generated<Date>;
}

export interface PracticeReviewsTable {
	id: Generated<number>;
	practiceId: number;
	versionId: number;
	reviewerId: string | null;
	decision: 'published' | 'returned';
	comment: Generated<string>;
	decidedAt: Generated<Date>;
}

export type FollowLevel = 'watching' | 'normal' | 'muted';

export interface ThreadFollowsTable {
	userId: string;
	threadId: number;
	level: FollowLevel;
	updatedAt: Generated<Date>;
}

export interface GroupFollowsTable {
	userId: string;
	groupId: number;
	level: FollowLevel;
	updatedAt: Generated<Date>;
}

export interface TopicFollowsTable {
	userId: string;
	topicId: number;
	createdAt: Generated<Date>;
}

export interface NotificationsTable {
	id: Generated<number>;
	userId: string;
	kind: string;
	/** What it is about, once per person ("post:12"): a second notice of the same thing is not written. */
	about: string;
	actorId: string | null;
	groupId: number | null;
	threadId: number | null;
	postId: number | null;
	practiceId: number | null;
	data: ColumnType<Record<string, unknown>, string | undefined, string>;
	createdAt: Generated<Date>;
	readAt: Date | null;
	emailDueAt: Date | null;
	emailedAt: Date | null;
}

export type EmailCadence = 'immediately' | 'daily' | 'weekly' | 'never';

export interface EmailPreferencesTable {
	userId: string;
	category: string;
	cadence: EmailCadence;
	updatedAt: Generated<Date>;
}

export interface DigestRunsTable {
	cadence: string;
	period: string;
	startedAt: Generated<Date>;
}

export interface DigestsSentTable {
	userId: string;
	cadence: string;
	sentThrough: Date;
}

export interface JobsTable {
	id: Generated<number>;
	kind: string;
	payload: ColumnType<Record<string, unknown>, string, never>;
	runAt: Generated<Date>;
	attempts: Generated<number>;
	lastError: string | null;
	createdAt: Generated<Date>;
	doneAt: Date | null;
}

export type ScanStatus = 'pending' | 'clean' | 'infected' | 'not_scanned';

/** A stored file, named by the SHA-256 of its bytes (identical uploads are stored once). */
export interface FilesTable {
	sha256: string;
	size: number;
	mediaType: string;
	createdAt: Generated<Date>;
}

/** A folder in a group's library (groupId null: the site library); one level of nesting. */
export interface LibraryFoldersTable {
	id: Generated<number>;
	groupId: number | null;
	parentId: number | null;
	name: string;
	createdBy: string | null;
	createdAt: Generated<Date>;
	deletedAt: Date | null;
}

export interface DocumentsTable {
	id: Generated<number>;
	groupId: number | null;
	folderId: number | null;
	title: string;
	description: Generated<string>;
	createdBy: string | null;
	createdAt: Generated<Date>;
	updatedAt: Generated<Date>;
	versionCount: Generated<number>;
	deletedAt: Date | null;
	deletedBy: string | null;
	/** The text-search vector, kept by a trigger (migrations/…_library.ts); never written here. */
	search: ColumnType<string | null, never, never>;
}

/** Each upload of a document's file, scanned on its own; the newest is the current one. */
export interface DocumentVersionsTable {
	id: Generated<number>;
	documentId: number;
	number: number;
	fileSha256: string;
	originalName: string;
	mediaType: string;
	size: number;
	uploadedBy: string | null;
	createdAt: Generated<Date>;
	scanStatus: ScanStatus;
	/** The virus's name, when one was found. */
	scanSignature: string | null;
	scannedAt: Date | null;
	/** The file's words (PDF, Word, text), read by a background job; null until then or for pictures. */
	text: string | null;
}

export interface Database {
	organisations: OrganisationsTable;
	organisationDomains: OrganisationDomainsTable;
	users: UsersTable;
	sessions: SessionsTable;
	emailTokens: EmailTokensTable;
	recoveryCodes: RecoveryCodesTable;
	rateLimits: RateLimitsTable;
	outbox: OutboxTable;
	auditLog: AuditLogTable;
	groups: GroupsTable;
	groupMembers: GroupMembersTable;
	groupBans: GroupBansTable;
	membershipRequests: MembershipRequestsTable;
	invitations: InvitationsTable;
	threads: ThreadsTable;
	posts: PostsTable;
	postRevisions: PostRevisionsTable;
	postHelpful: PostHelpfulTable;
	threadReads: ThreadReadsTable;
	events: EventsTable;
	eventPrunes: EventPrunesTable;
	practiceTopics: PracticeTopicsTable;
	practices: PracticesTable;
	practiceVersions: PracticeVersionsTable;
	practiceCoauthors: PracticeCoauthorsTable;
	practiceReviews: PracticeReviewsTable;
	threadFollows: ThreadFollowsTable;
	groupFollows: GroupFollowsTable;
	notifications: NotificationsTable;
	jobs: JobsTable;
	topicFollows: TopicFollowsTable;
	emailPreferences: EmailPreferencesTable;
	digestRuns: DigestRunsTable;
	digestsSent: DigestsSentTable;
	files: FilesTable;
	libraryFolders: LibraryFoldersTable;
	documents: DocumentsTable;
	documentVersions: DocumentVersionsTable;
}

/** A row of a table as a query reads it, e.g. `Row<'auditLog'>`. */
export type Row<T extends keyof Database> = Selectable<Database[T]>;
