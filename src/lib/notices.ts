/**
 * Messages shown after a redirect, chosen by a fixed code in the address (?notice=…),
 * so nothing a visitor puts in a link is ever shown as text.
 */
export const NOTICES = {
	'signed-out': { success: false, text: 'You have been signed out. Sign in again to continue.' },
	'too-many-codes': {
		success: false,
		text: 'There have been too many wrong codes. You have been signed out: sign in again to try once more.'
	},
	'signed-out-by-you': { success: true, text: 'You have signed out.' },
	verified: { success: true, text: 'Your e-mail address is confirmed. Sign in to continue.' },
	'password-reset': {
		success: true,
		text: 'Your password has been changed and you have been signed out everywhere. Sign in with your new password.'
	},
	'password-set': { success: true, text: 'Your password is set. Sign in to continue.' },
	'password-changed': {
		success: true,
		text: 'Your password has been changed. You have been signed out on every other device.'
	},
	'profile-saved': { success: true, text: 'Your details have been saved.' },
	'two-factor-off': { success: true, text: 'Two-factor authentication is now off.' },
	'sessions-revoked': { success: true, text: 'The other devices have been signed out.' },
	'session-revoked': { success: true, text: 'That device has been signed out.' },
	'session-gone': {
		success: false,
		text: 'That device is not signed in to your account (it may have signed out already). Nothing was changed.'
	},
	'no-other-sessions': {
		success: false,
		text: 'You are not signed in on any other device. Nothing was changed.'
	},
	'setup-done': {
		success: true,
		text: 'You are the first administrator. Sign in, then set up two-factor authentication.'
	},
	'organisation-created': {
		success: true,
		text: 'The organisation has been added. Add its e-mail domains below.'
	},
	'organisation-saved': { success: true, text: 'The name has been changed.' },
	'domain-added': { success: true, text: 'The domain has been added.' },
	'domain-removed': {
		success: true,
		text: 'The domain has been removed. People already in the organisation stay in it.'
	},
	'group-created': { success: true, text: 'Your group has been created. You are its owner.' },
	joined: { success: true, text: 'You have joined this group.' },
	asked: {
		success: true,
		text: 'Your request has been sent. A moderator will decide, and we will e-mail you.'
	},
	withdrawn: { success: true, text: 'Your request has been withdrawn.' },
	left: { success: true, text: 'You have left the group.' },
	'invitation-accepted': { success: true, text: 'You have joined this group.' },
	'invitation-declined': { success: true, text: 'You have declined the invitation.' },
	approved: { success: true, text: 'The request has been approved: they are now a member.' },
	declined: { success: true, text: 'The request has been declined. They have been told why.' },
	invited: { success: true, text: 'The invitation has been sent.' },
	'invitation-revoked': { success: true, text: 'The invitation has been revoked.' },
	'role-changed': { success: true, text: 'The role has been changed.' },
	removed: { success: true, text: 'They have been removed from the group.' },
	banned: { success: true, text: 'They have been banned from the group.' },
	unbanned: { success: true, text: 'The ban has been lifted.' },
	'settings-saved': { success: true, text: 'The group’s settings have been saved.' },
	archived: { success: true, text: 'The group is archived: it is now read-only.' },
	unarchived: { success: true, text: 'The group is no longer archived.' },
	'verification-sent': {
		success: true,
		text: 'We have sent you a new e-mail. Follow its link to confirm your address.'
	},
	'practice-saved': { success: true, text: 'Draft saved. Only you and your co-authors can see it.' },
	'practice-submitted': {
		success: true,
		text: 'Sent for review. A reviewer will publish it or return it to you with comments.'
	},
	'practice-coauthor': { success: true, text: 'Co-author added. They can now read and edit this entry.' },
	'practice-joined': {
		success: true,
		text: 'You have joined the Good practice library group. You can now read and add comments.'
	},
	'practice-commented': { success: true, text: 'Your comment has been posted.' },
	'practice-archived': { success: true, text: 'The entry is archived. Its authors have been told.' },
	'practice-revision': {
		success: true,
		text: 'Revision started. Readers keep seeing the published version until a reviewer publishes yours.'
	},
	'practice-published': { success: true, text: 'Entry published. Its authors have been told.' },
	'practice-returned': { success: true, text: 'Entry returned. Its authors have your comments.' },
	'practice-already-reviewed': {
		success: false,
		text: 'That entry has already been reviewed, or its authors have taken it back.'
	},
	'reviewer-granted': { success: true, text: 'This account can now review site-wide good practice.' },
	'publisher-granted': { success: true, text: 'This account can now publish to the site library.' },
	'publisher-removed': { success: true, text: 'This account no longer publishes to the site library.' },
	'reviewer-removed': { success: true, text: 'This account no longer reviews site-wide good practice.' },
	'follow-saved': { success: true, text: 'Your notification setting is saved.' },
	'notifications-read': { success: true, text: 'All your notifications are marked as read.' },
	'email-settings-saved': { success: true, text: 'Your e-mail settings are saved.' },
	'document-added': {
		success: true,
		text: 'The document has been added to the library.'
	},
	'version-added': {
		success: true,
		text: 'The new version has been added. Earlier versions are kept below.'
	},
	'document-changed': { success: true, text: 'The document’s details are saved.' },
	'document-deleted': {
		success: true,
		text: 'The document has been deleted. A moderator can restore it from the library.'
	},
	'document-restored': { success: true, text: 'The document has been restored.' },
	'folder-added': { success: true, text: 'The folder has been added.' },
	'topics-saved': {
		success: true,
		text: 'The topics you follow are saved. New good practice in them will show under Notifications.'
	}
} as const satisfies Record<string, { success: boolean; text: string }>;

export type NoticeCode = keyof typeof NOTICES;

export function noticeFor(code: string | null): (typeof NOTICES)[NoticeCode] | undefined {
	return code && code in NOTICES ? NOTICES[code as NoticeCode] : undefined;
}
