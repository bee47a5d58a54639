/**
 * Every migration, listed so that the bundled host carries them (no file system
 * scan at run time). A unit test checks this list matches the files in this folder.
 */
import type { Migration } from 'kysely';
import * as m20261128150000 from './20261128150000_foundation.ts';
import * as m20261128160000 from './20261128160000_identity.ts';
import * as m20261128160100 from './20261128160100_organisations_seed.ts';
import * as m20261128165000 from './20261128165000_totp_replay.ts';
import * as m20261128170000 from './20261128170000_groups.ts';
import * as m20261128180000 from './20261128180000_discussions.ts';
import * as m20261128190000 from './20261128190000_events.ts';
import * as m20261128191000 from './20261128191000_event_retention.ts';
import * as m20261128200000 from './20261128200000_practice.ts';
import * as m20261207180000 from './20261207180000_search.ts';
import * as m20261207220000 from './20261207220000_notifications.ts';
import * as m20261208000000 from './20261208000000_library.ts';

export const migrations: Record<string, Migration> = {
	'20261128150000_foundation': m20261128150000,
	'20261128160000_identity': m20261128160000,
	'20261128160100_organisations_seed': m20261128160100,
	'20261128165000_totp_replay': m20261128165000,
	'20261128170000_groups': m20261128170000,
	'20261128180000_discussions': m20261128180000,
	'20261128190000_events': m20261128190000,
	'20261128191000_event_retention': m20261128191000,
	'20261128200000_practice': m20261128200000,
	'20261207180000_search': m20261207180000,
	'20261207220000_notifications': m20261207220000,
	'20261208000000_library': m20261208000000
};
