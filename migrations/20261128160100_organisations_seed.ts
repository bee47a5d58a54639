import type { Kysely } from 'kysely';

// The default list of organisations and their public e-mail domains: the 43 territorial
// police forces of England and Wales, Police Scotland, the PSNI, British Transport Police,
// the NPCC, and partner agencies. Each domain was seen in a published address of that
// organisation (freedom-of-information, press or contact mailboxes); an organisation
// whose domain could not be confirmed has none, for an administrator to add.
// Administrators edit the list in Muster. Frozen once landed.
const ORGANISATIONS: Array<[name: string, kind: 'police' | 'partner', domains: string[]]> = [
	[
		'Avon and Somerset Constabulary',
		'police',
		['avonandsomerset.police.uk', 'avonandsomerset.pnn.police.uk']
	],
	['Bedfordshire Police', 'police', ['bedfordshire.pnn.police.uk', 'beds.police.uk']],
	['Cambridgeshire Constabulary', 'police', ['cambs.pnn.police.uk', 'cambs.police.uk']],
	['Cheshire Constabulary', 'police', ['cheshire.pnn.police.uk']],
	['City of London Police', 'police', ['city-of-london.pnn.police.uk']],
	['Cleveland Police', 'police', ['cleveland.pnn.police.uk', 'cleveland.police.uk']],
	['Cumbria Constabulary', 'police', ['cumbria.police.uk']],
	['Derbyshire Constabulary', 'police', ['derbyshire.pnn.police.uk']],
	['Devon and Cornwall Police', 'police', ['devonandcornwall.pnn.police.uk']],
	['Dorset Police', 'police', ['dorset.pnn.police.uk']],
	['Durham Constabulary', 'police', ['durham.pnn.police.uk']],
	['Dyfed-Powys Police', 'police', ['dyfed-powys.pnn.police.uk', 'dyfed-powys.police.uk']],
	['Essex Police', 'police', ['essex.police.uk', 'essex.pnn.police.uk']],
	['Gloucestershire Constabulary', 'police', ['gloucestershire.pnn.police.uk', 'gloucestershire.police.uk']],
	['Greater Manchester Police', 'police', ['gmp.police.uk']],
	['Gwent Police', 'police', ['gwent.pnn.police.uk']],
	['Hampshire and Isle of Wight Constabulary', 'police', ['hampshire.pnn.police.uk']],
	['Hertfordshire Constabulary', 'police', ['herts.pnn.police.uk']],
	['Humberside Police', 'police', ['humberside.pnn.police.uk']],
	['Kent Police', 'police', ['kent.police.uk', 'kent.pnn.police.uk']],
	['Lancashire Constabulary', 'police', ['lancashire.pnn.police.uk']],
	['Leicestershire Police', 'police', ['leicestershire.pnn.police.uk', 'leics.police.uk']],
	['Lincolnshire Police', 'police', ['lincs.pnn.police.uk']],
	['Merseyside Police', 'police', ['merseyside.police.uk']],
	['Metropolitan Police Service', 'police', ['met.police.uk']],
	['Norfolk Constabulary', 'police', ['norfolk.pnn.police.uk', 'norfolk.police.uk']],
	['North Wales Police', 'police', ['nthwales.pnn.police.uk', 'north-wales.police.uk']],
	['North Yorkshire Police', 'police', ['northyorkshire.pnn.police.uk']],
	['Northamptonshire Police', 'police', ['northants.police.uk']],
	['Northumbria Police', 'police', ['northumbria.pnn.police.uk']],
	['Nottinghamshire Police', 'police', ['nottinghamshire.pnn.police.uk', 'notts.police.uk']],
	['South Wales Police', 'police', ['south-wales.pnn.police.uk', 'south-wales.police.uk']],
	['South Yorkshire Police', 'police', ['southyorks.pnn.police.uk']],
	['Staffordshire Police', 'police', ['staffordshire.pnn.police.uk']],
	['Suffolk Constabulary', 'police', ['suffolk.pnn.police.uk', 'suffolk.police.uk']],
	['Surrey Police', 'police', ['surrey.pnn.police.uk', 'surrey.police.uk']],
	['Sussex Police', 'police', ['sussex.pnn.police.uk']],
	['Thames Valley Police', 'police', ['thamesvalley.pnn.police.uk', 'thamesvalley.police.uk']],
	['Warwickshire Police', 'police', ['warwickshire.pnn.police.uk', 'warwickshire.police.uk']],
	['West Mercia Police', 'police', ['westmercia.pnn.police.uk', 'westmercia.police.uk']],
	[
		'West Midlands Police',
		'police',
		['westmidlands.police.uk', 'west-midlands.police.uk', 'west-midlands.pnn.police.uk']
	],
	['West Yorkshire Police', 'police', ['westyorkshire.pnn.police.uk']],
	['Wiltshire Police', 'police', ['wiltshire.pnn.police.uk', 'wiltshire.police.uk']],
	['Police Scotland', 'police', ['scotland.pnn.police.uk']],
	['Police Service of Northern Ireland', 'police', ['psni.pnn.police.uk', 'psni.police.uk']],
	['British Transport Police', 'police', ['btp.pnn.police.uk', 'btp.police.uk']],
	["National Police Chiefs' Council", 'police', ['npcc.police.uk', 'cru.pnn.police.uk']],
	['NPCC Modern Slavery and Organised Immigration Crime Unit', 'police', []],
	['National Crime Agency', 'partner', ['nca.gov.uk']],
	['Gangmasters and Labour Abuse Authority', 'partner', ['gla.gov.uk']],
	['HM Revenue and Customs', 'partner', ['hmrc.gov.uk']],
	['Home Office (including Border Force and Immigration Enforcement)', 'partner', ['homeoffice.gov.uk']],
	['Crown Prosecution Service', 'partner', ['cps.gov.uk']]
];

export async function up(db: Kysely<any>): Promise<void> {
	for (const [name, kind, domains] of ORGANISATIONS) {
		const org = await db
			.insertInto('organisations')
			.values({ name, kind })
			.onConflict((oc) => oc.column('name').doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!org || domains.length === 0) continue;
		await db
			.insertInto('organisation_domains')
			.values(domains.map((domain) => ({ domain, organisation_id: org.id })))
			.onConflict((oc) => oc.column('domain').doNothing())
			.execute();
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	await db
		.deleteFrom('organisations')
		.where(
			'name',
			'in',
			ORGANISATIONS.map(([name]) => name)
		)
		.execute();
}
