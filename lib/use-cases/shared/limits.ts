// Limits on how many of a thing one may have (servers owned, channels of a server): they do not
// refill with time, so Retry-After only says "not soon"; the count must go down first.
export const COUNT_LIMIT_RETRY_SECONDS = 3600;
