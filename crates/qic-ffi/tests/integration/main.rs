//! The C library from the outside: its header, a C program compiled against it, and its lints.

mod c_program;
mod header;
mod lints;
