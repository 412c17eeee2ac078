//! Building blocks of the models. For now the CPU kernels under them ([`cpu`]): matrix
//! products, the vector loops of NADE and the AdamW update, each with one code path per
//! instruction set, chosen when the program runs.

pub mod cpu;
