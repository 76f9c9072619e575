import bcrypt from "bcryptjs";

// bcrypt at cost 12: deliberately slow (about a quarter of a second) against offline guessing.
const COST = 12;

export const hashPassword = (password: string) => bcrypt.hash(password, COST);
export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
export const DUMMY_HASH = "$2b$12$YwVMjh5hR/EbqSx//6X5n./GoDarhCGy2x35aude0LKn7rg92zTf2";
