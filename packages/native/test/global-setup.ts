import { buildAddons } from './helpers/build-addons.js';

export function setup(): void {
  buildAddons();
}
