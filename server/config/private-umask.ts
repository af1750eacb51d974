/**
 * Files and folders the server creates without an explicit mode (caches, anything a library writes) are the owner's
 * alone. A second belt: the data folder and its database get their 0700 / 0600 modes explicitly (server/store/sqlite/sqlite-migrate.ts).
 */
process.umask(0o077);

export {};
