//! Integration tests of the `qic` facade: the cores of its examples.

mod collaborative;
