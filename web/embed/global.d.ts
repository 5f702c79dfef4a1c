// The classic script (dist/reachlens-embed.js, or /embed.js from the module's server)
// sets window.ReachLens. Reference these types with:
//   /// <reference types="@reachlens/embed/global" />
import type ReachLensDefault from './index.js';

declare global {
  // eslint-disable-next-line no-var
  var ReachLens: typeof ReachLensDefault;
}
export {};
