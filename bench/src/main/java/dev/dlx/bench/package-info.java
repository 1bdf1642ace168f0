/** Benchmarks: dlx against hand-written TensorFlow Java and DJL + PyTorch, checker, language server, data. */
package dev.dlx.bench;
