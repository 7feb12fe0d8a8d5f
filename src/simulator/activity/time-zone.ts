/** The simulator reads local days with the same time zone rules as the sync. */
export * from '../../time-zone';
