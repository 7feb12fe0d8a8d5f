/** Word lists for record names. The combinations read like names a product team would type. */

export const PRODUCT_AREAS = [
  'Onboarding',
  'Billing',
  'Reports',
  'Settings',
  'Dashboard',
  'Integrations',
  'Inventory',
  'Checkout',
  'Admin',
  'Analytics',
  'Team Management',
  'Notifications',
  'Orders',
  'Shipping',
  'Help Center',
] as const;

export const GUIDE_PURPOSES = [
  'Welcome tour',
  'Feature announcement',
  'Release notes',
  'NPS survey',
  'Upgrade prompt',
  'Tooltip walkthrough',
  'Maintenance banner',
  'Trial ending reminder',
  'Feedback poll',
  'Getting started checklist',
  'New navigation',
  'Webinar invitation',
] as const;

export const FEATURE_SUBJECTS = [
  'Export CSV',
  'Save settings',
  'Add user',
  'Download invoice',
  'Create report',
  'Filter results',
  'Search',
  'Share link',
  'Connect to Amazon',
  'Schedule delivery',
  'Print label',
  'Invite teammate',
  'Date range picker',
  'Archive order',
  'Upload file',
] as const;

export const FEATURE_CONTROLS = ['button', 'link', 'tab', 'menu item', 'icon', 'toggle'] as const;

export const PAGE_SUBJECTS = [
  'Home Dashboard',
  'Invoices',
  'Order Details',
  'User List',
  'Account Settings',
  'Integrations Overview',
  'Reports Library',
  'Checkout Summary',
  'Shipping Rates',
  'Product Catalog',
  'Audit Log',
  'Login',
] as const;

export const TRACK_EVENTS = [
  'Invoice Created',
  'Plan Upgraded',
  'Report Exported',
  'User Invited',
  'Order Shipped',
  'Integration Connected',
  'Password Reset',
  'File Uploaded',
  'Trial Started',
  'Subscription Cancelled',
] as const;

export const SEGMENT_NAMES = [
  'Admins',
  'Trial accounts',
  'Enterprise customers',
  'EU visitors',
  'Power users',
  'New signups (30 days)',
  'Churn risk',
  'Beta testers',
  'Mobile users',
  'Inactive accounts',
] as const;

export const GROUP_NAMES = [
  'Reporting / Insights',
  'Core - Ecommerce',
  'Core - Trial Workflow',
  'Billing',
  'Settings',
  'Onboarding',
  'Integrations',
  'Admin Tools',
  'Orders',
  'Navigation',
  'Help',
  'Uncategorized',
] as const;

export const FIRST_NAMES = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie'];
export const LAST_NAMES = ['Example', 'Sample', 'Tester', 'Doe', 'Placeholder', 'Demo'];

/** Turns a name into a URL path segment: `Order Details` becomes `order-details`. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
