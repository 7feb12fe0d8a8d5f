import type pg from 'pg';

/** A pool or a client checked out of one: anything that can run a parameterised query. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;
