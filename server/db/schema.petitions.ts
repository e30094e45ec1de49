/** Tables of the petitions feature (see its migration). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PetitionsTables {}
