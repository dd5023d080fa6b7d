// pglite-socket's server dispatches CustomEvent, a global only from Node.js 19 on; Debian 12 ships Node.js 18
if (typeof globalThis.CustomEvent === 'undefined') {
  globalThis.CustomEvent = class CustomEvent extends Event {
    constructor(type, options = {}) {
      super(type, options);
      this.detail = options.detail ?? null;
    }
  };
}
