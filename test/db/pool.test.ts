import { describe, expect, it } from 'vitest';
import { createPool, maskDatabaseUrl, NOT_A_URL } from '../../src/db/pool';
import { ConfigError } from '../../src/errors';
import { redactSecrets, silentLogger } from '../../src/log';
import { createTestDatabase } from '../helpers/database';

describe('createPool', () => {
  it.each([
    ['an http URL', 'http://user:pw@localhost/db'],
    ['a bare host', 'localhost:5432'],
    ['an empty string', ''],
    ['a mysql URL', 'mysql://user:pw@localhost/db'],
  ])('rejects %s', (_label, url) => {
    expect(() => createPool(url, { logger: silentLogger })).toThrow(ConfigError);
    expect(() => createPool(url, { logger: silentLogger })).toThrow(
      /DATABASE_URL is not a valid PostgreSQL URL.*Expected the form postgres:\/\/USER:PASSWORD@HOST:5432\/DATABASE/,
    );
  });

  it('masks the password in its error', () => {
    expect(() =>
      createPool('https://admin:hunter2-secret@db.example.com/x', { logger: silentLogger }),
    ).toThrow(/https:\/\/admin:\*\*\*@db\.example\.com\/x/);
    expect(() =>
      createPool('https://admin:hunter2-secret@db.example.com/x', { logger: silentLogger }),
    ).not.toThrow(/hunter2/);
  });

  it('masks the password of an unparsable URL', () => {
    expect(maskDatabaseUrl('postgres://user:p@ss word@host:bad/db')).not.toContain('p@ss');
  });

  it.each([
    ['a password query parameter', 'postgres://bob@127.0.0.1:1/db?password=QuerySecret9'],
    ['a mixed-case query parameter', 'postgres://bob@h/db?sslmode=disable&PassWord=QuerySecret9'],
    ['a key=value string', 'host=127.0.0.1 port=1 password=QuerySecret9'],
    ['a quoted key=value password', "host=127.0.0.1 password = 'QuerySecret9' user=bob"],
    ['a password containing @', 'postgresql://bob:Query@Secret9@h:5/db'],
  ])('masks %s', (_label, url) => {
    const masked = maskDatabaseUrl(url);
    expect(masked).toContain('***');
    expect(masked).not.toContain('Secret9');
  });

  it.each([
    ['a # in the password', 'postgres://alice:S3cret#Pw9@127.0.0.1:5999/db'],
    ['a space in the password', 'postgres://alice:S3cret Pw8@127.0.0.1:5999/db'],
    ['a / and ? in the password', 'postgres://alice:S3c/ret?Pw7@127.0.0.1:5999/db'],
    ['an @ and : in the password', 'postgresql://alice:S3c@r:et@Pw6@127.0.0.1:5999/db'],
  ])('masks a URL with %s, which does not parse, and registers its password', (_label, url) => {
    const password = url.slice(url.indexOf(':', 'postgres://'.length) + 1, url.lastIndexOf('@'));
    expect(maskDatabaseUrl(url)).toBe(
      `${url.slice(0, url.indexOf(':', 'postgres://'.length) + 1)}***@127.0.0.1:5999/db`,
    );
    // Some of these parse as a WHATWG URL and some do not; either way the message hides it.
    try {
      void createPool(url, { logger: silentLogger }).end();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).not.toContain(password);
    }
    expect(redactSecrets(`x ${password} y`)).toBe('x [redacted] y');
  });

  it('masks a query parameter whose name is percent-encoded', () => {
    const url = 'postgres://bob@127.0.0.1:1/db?pass%77ord=S3cretQ5&sslmode=disable';
    expect(maskDatabaseUrl(url)).toBe(
      'postgres://bob@127.0.0.1:1/db?pass%77ord=***&sslmode=disable',
    );
  });

  it.each([
    ['a bare password', 'S3cretBare6'],
    ['a password with =', 'c2VjcmV0Pw5=='],
    ['text with spaces', 'my S3cret Pw4'],
  ])('shows no part of %s', (_label, value) => {
    expect(maskDatabaseUrl(value)).toBe(NOT_A_URL);
    expect(() => createPool(value, { logger: silentLogger })).toThrow(
      `DATABASE_URL is not a valid PostgreSQL URL: ${NOT_A_URL}.`,
    );
    expect(redactSecrets(value)).toBe('[redacted]');
  });

  it('registers a key=value password it rejects', () => {
    expect(() =>
      createPool('host=127.0.0.1 port=1 password=KvSecret1x', { logger: silentLogger }),
    ).toThrow(/password=\*\*\*/);
    expect(redactSecrets('KvSecret1x')).toBe('[redacted]');
  });

  it('registers a query parameter password', () => {
    const pool = createPool('postgres://bob@127.0.0.1:1/db?password=QueryParamSecret', {
      logger: silentLogger,
    });
    expect(redactSecrets('QueryParamSecret')).toBe('[redacted]');
    void pool.end();
  });

  it('registers the password as a secret', () => {
    const pool = createPool('postgresql://user:pa%24%24word-123@127.0.0.1:1/db', {
      logger: silentLogger,
    });
    expect(redactSecrets('password pa$$word-123 here')).toBe('password [redacted] here');
    void pool.end();
  });

  it('connects with application_name and statement timeout', async () => {
    const database = await createTestDatabase({ migrate: false });
    const pool = createPool(database.url, { logger: silentLogger, statementTimeoutMs: 250 });
    try {
      const settings = await pool.query<{ application_name: string; statement_timeout: string }>(
        `select current_setting('application_name') as application_name,
                current_setting('statement_timeout') as statement_timeout`,
      );
      expect(settings.rows[0]).toEqual({
        application_name: 'pendo-sync',
        statement_timeout: '250ms',
      });
      await expect(pool.query('select pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});
