/** A file whose structure the mount's splice does not handle, and why: it is served as it is and the
 *  mount's log says so (files.header_kept holds this instead of what a splice keeps). */
export interface Unspliced {
  readonly unspliced: string;
}
