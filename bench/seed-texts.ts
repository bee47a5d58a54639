/**
 * Words for the benchmark data: post bodies in Markdown (rendered to HTML with Muster's own
 * renderer by the seed, so the stored HTML is what the application would store), group topics
 * and thread subjects. Lengths vary from a line to several paragraphs, as real replies do.
 */

export const POST_SOURCES: string[] = [
	'Thanks, that is really useful.',
	'Agreed. We found the same when we reviewed our own referrals last year.',
	'Has anyone had a response from the **Single Competent Authority** on this yet? Ours has been waiting eight weeks.',
	'We tried this in our force and it worked well once the control room had a one-page aide-memoire. The key was agreeing who owns the first contact with the victim, not the process itself.',
	'Short version of what we do:\n\n1. Safeguard first: the victim is seen by a trained officer within the hour.\n2. Record the crime at the point of disclosure, not after the interview.\n3. Refer to the NRM with consent, or submit a DtN if the adult declines.\n\nHappy to share our flowchart if that helps.',
	'Be careful with interpreters from the same community: we had a case where the interpreter knew the suspects. We now use a telephone service from outside the area for the first account.',
	'There is a good summary in the College of Policing APP, section on *modern slavery*: https://www.college.police.uk/app. It covers the duty to notify and the difference between first responders and the SCA.',
	'We ran a joint day of action with GLAA and the local authority last month.\n\n- 14 premises visited\n- 9 potential victims spoken to, 4 accepted support\n- 2 arrests, one charged\n\nThe partnership briefing the night before made the biggest difference: everyone knew their role.',
	'> Does anyone record these as a separate crime?\n\nYes: we record a crime for each victim, and link them with an operation name so the analyst can see the network. It made the disclosure schedule much easier later.',
	'This is a long one, sorry.\n\nWe reviewed 60 cases from the last two years. The pattern was clear: where the first officer on scene had been trained, the victim engaged with the investigation in most cases; where they had not, most victims disengaged within a week.\n\nWe now include a 20-minute input in every probationer course, and the neighbourhood teams get a refresher each spring. The cost is small, and the number of cases reaching charge has risen.\n\nIf anyone wants the evaluation, message me and I will send it through the secure route.',
	'| Step | Who | When |\n| --- | --- | --- |\n| Safeguarding | First responder | At once |\n| NRM referral | Trained officer | Within 48 hours |\n| Case review | DS | Within 7 days |\n\nThis is the table we put on the back of the pocket card.',
	'Does anyone have a template for a multi-agency risk assessment? Ours is ~~twelve~~ fifteen pages and nobody reads it.',
	'We had the same issue with the car washes on the industrial estate. The **licensing** route worked better than enforcement: the council visited with us, and two of the businesses closed within a month.',
	'Useful thread. I have passed it to our safeguarding hub lead.',
	'On the question of retaining phones: we now image on scene with consent where possible and return the device the same day. Victims were refusing to come forward because they lost their only contact with family abroad.\n\nThe digital forensics unit agreed a fast-track lane for these cases.',
	'For anyone new to this: the statutory guidance (section 49 of the Modern Slavery Act 2015) is the place to start, then your force policy. Ask your SPOC before you make the referral if you are unsure: they would rather be asked.'
];

export const TOPICS: string[] = [
	'Modern slavery',
	'County lines',
	'Domestic abuse',
	'Fraud prevention',
	'Neighbourhood policing',
	'Missing persons',
	'Road safety',
	'Cyber crime',
	'Child exploitation',
	'Labour exploitation',
	'Violence against women',
	'Custody practice',
	'Victim care',
	'Rural crime',
	'Serious violence',
	'Organised immigration crime',
	'Wellbeing',
	'Digital forensics',
	'Public order',
	'Problem solving'
];

export const SUBJECTS: string[] = [
	'How do you handle first contact?',
	'Referral times this quarter',
	'Joint visits with partners',
	'Training for new response officers',
	'Good practice from a recent operation',
	'Interpreters: what works',
	'Recording decisions for disclosure',
	'Working with the local authority',
	'Victim engagement after charge',
	'Data sharing agreements'
];

export const FIRST_NAMES: string[] = [
	'Amira',
	'Ben',
	'Chloe',
	'Dev',
	'Emma',
	'Farid',
	'Grace',
	'Harry',
	'Isla',
	'Jack',
	'Kiran',
	'Leah',
	'Mohammed',
	'Niamh',
	'Owen',
	'Priya',
	'Rhys',
	'Sophie',
	'Tom',
	'Zara'
];

export const LAST_NAMES: string[] = [
	'Ahmed',
	'Brown',
	'Campbell',
	'Davies',
	'Evans',
	'Fraser',
	'Green',
	'Hughes',
	'Iqbal',
	'Jones',
	'Khan',
	'Lewis',
	'Murphy',
	'Nowak',
	"O'Brien",
	'Patel',
	'Roberts',
	'Singh',
	'Taylor',
	'Walker',
	'Williams',
	'Wilson',
	'Wright',
	'Young',
	'Zielinski'
];
