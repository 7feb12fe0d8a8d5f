/** An error the simulator returns to the HTTP client with the given status and plain-text body. */
export class SimulatorHttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'SimulatorHttpError';
    this.status = status;
  }
}
