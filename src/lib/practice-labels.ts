/**
 * The words for a good-practice entry's controlled values, shared by the server (forms,
 * filters) and the pages.
 */
export const EFFECTIVENESS_LABELS: Record<string, string> = {
	worked: 'It worked',
	promising: 'Promising',
	untested: 'New or untested',
	did_not_work: 'It did not work'
};
export const STAGE_LABELS: Record<string, string> = {
	idea: 'Idea',
	pilot: 'Pilot',
	established: 'Established',
	ended: 'Ended'
};
export const SCALE_LABELS: Record<string, string> = {
	local: 'Local',
	force: 'Force-wide',
	regional: 'Regional',
	national: 'National'
};
export const REGION_LABELS: Record<string, string> = {
	north_east: 'North East',
	north_west: 'North West',
	yorkshire_humber: 'Yorkshire and the Humber',
	east_midlands: 'East Midlands',
	west_midlands: 'West Midlands',
	east_of_england: 'East of England',
	london: 'London',
	south_east: 'South East',
	south_west: 'South West',
	wales: 'Wales',
	scotland: 'Scotland',
	northern_ireland: 'Northern Ireland',
	uk_wide: 'UK-wide'
};
export const STATUS_LABELS: Record<string, string> = {
	draft: 'Draft',
	in_review: 'In review',
	returned: 'Returned with comments',
	published: 'Published',
	archived: 'Archived',
	superseded: 'Superseded'
};
