/** The version the API descriptions carry: the protocol package's version. */
export const API_VERSION = '0.1.0';
