/**
 * How long the CDN may keep a copy, in seconds. Subscriptions (`sub/*`) are short: after a
 * rotation and a re-publish, an app that refreshes gets the new links within 60 s (when the
 * upload sets no Cache-Control) and within 300 s at most, whatever the upload says.
 * Pages change on the same rotations but are read by people, who reload less often.
 */
export const subscriptionCache = { pathPattern: "sub/*", minTtl: 0, defaultTtl: 60, maxTtl: 300 } as const;
export const pageCache = { minTtl: 0, defaultTtl: 300, maxTtl: 3600 } as const;

/**
 * The Spaces CDN has one TTL per endpoint, from a fixed list (60, 600, 3600, 86400, 604800):
 * the shortest, so a re-published subscription is served within a minute there too.
 */
export const spacesCdnTtl = 60;
