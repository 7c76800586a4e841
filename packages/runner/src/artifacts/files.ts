/** The names of the files a run saves besides its model (model/files.ts names those), shared by the writer and the loader. */
export const PREPROCESS_FILE = 'preprocess.json';
export const CONFUSION_FILE = 'confusion.json';
