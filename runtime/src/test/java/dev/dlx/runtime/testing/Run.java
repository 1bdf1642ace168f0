package dev.dlx.runtime.testing;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.graph.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/** A model's graph with a session, initialized: set weights, run forward, read outputs as flat arrays. */
public final class Run<T extends TFloating> implements AutoCloseable {
    public final ModelIR model;
    public final ModelGraph<T> graph;
    public final Session session;

    public Run(ModelIR model, Class<T> type, long seed) {
        this.model = model;
        this.graph = ModelGraph.build(model, type, GraphOptions.seeded(seed));
        this.session = new Session(graph.graph());
        graph.initialize(session);
    }

    public static <T extends TFloating> Run<T> of(String source, Class<T> type) { return new Run<>(Dlx.model(source), type, 1); }

    public Weight weight(String name) {
        return graph.weight(name).orElseThrow(() -> new AssertionError("no weight " + name + " in " + graph.weights()));
    }

    public Run<T> set(String weight, double... values) {
        weight(weight).write(session, values);
        return this;
    }

    public double[] get(String weight) { return weight(weight).readDoubles(session); }

    /** Random values in [-1, 1] for every weight, for references that should not depend on the initializer. */
    public Run<T> randomizeWeights(long seed) {
        Random r = new Random(seed);
        for (Weight w : graph.weights()) {
            double[] v = new double[w.size()];
            for (int i = 0; i < v.length; i++) v[i] = 2 * r.nextDouble() - 1;
            w.write(session, v);
        }
        return this;
    }

    private long step;

    /** Later forward runs draw the dropout masks of training step {@code step} (0 until set). */
    public Run<T> atStep(long step) {
        this.step = step;
        return this;
    }

    /** The first output for a batch: each input is given flat, its batch size follows from its length. */
    public double[] forward(boolean training, double[]... inputs) { return forward(training, training, List.of(), inputs); }

    public double[] forward(boolean training, boolean dropout, List<Op> targets, double[]... inputs) {
        List<Tensor> fed = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            List<Node> nodes = model.inputs();
            for (int i = 0; i < inputs.length; i++) {
                long[] sample = nodes.get(i).shape().dims().stream().mapToLong(d -> d.size()).toArray();
                long per = 1;
                for (long d : sample) per *= d;
                long[] shape = new long[sample.length + 1];
                shape[0] = inputs[i].length / per;
                System.arraycopy(sample, 0, shape, 1, sample.length);
                Tensor t = Tensors.of(graph.type(), shape, inputs[i]);
                fed.add(t);
                runner.feed(graph.inputs().get(i), t);
            }
            Tensor tr = TBool.scalarOf(training);
            Tensor dr = TBool.scalarOf(dropout);
            Tensor st = TInt64.scalarOf(step);
            fed.add(tr);
            fed.add(dr);
            fed.add(st);
            runner.feed(graph.training(), tr).feed(graph.dropoutActive(), dr).feed(graph.dropoutStep(), st).fetch(graph.output());
            for (Op op : targets) runner.addTarget(op);
            try (Result r = runner.run()) {
                return Tensors.doubles(r.get(0));
            }
        } finally {
            fed.forEach(Tensor::close);
        }
    }

    @Override public void close() {
        session.close();
        graph.close();
    }
}
