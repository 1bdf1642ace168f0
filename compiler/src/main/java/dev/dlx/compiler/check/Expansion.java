package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.syntax.Stmt;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How many steps a chain element unfolds into, computed from the block definitions before
 * anything is built, so that a model too large is refused at the use that makes it so. A layer
 * or a tensor step counts one, a block use one plus the size of its body, and `* N` multiplies;
 * a body's size is the sum of its elements'. Repeat counts and nested arguments may depend on
 * the block's parameters, so a body is sized per binding of them, and each binding once: blocks
 * that use a block twice, 24 levels deep, take 24 bodies to size, not 2^24. Sizes saturate just
 * above the limit, where sizing stops.
 *
 * <p>For a model without errors the size is exactly what elaboration expands. Where elaboration
 * would stop at an error (a bad argument, a recursive use) the size is at least one step, and the
 * elaboration's own count still stops it at the limit.
 */
final class Expansion {
    private final SymbolTable symbols;
    /** One more than the limit: any size beyond it. */
    private final long over;
    private final Map<Key, Long> bodies = new HashMap<>();
    private final Deque<String> sizing = new ArrayDeque<>();
    private long steps;

    /** A block with the values of its parameters, their spans left out: equal bindings size alike. */
    private record Key(String block, Map<String, Value> params) {}

    Expansion(SymbolTable symbols, long limit) {
        this.symbols = symbols;
        this.over = limit + 1;
    }

    /** Elements sized so far (each body once per binding), the work this costs. */
    long steps() { return steps; }

    /**
     * What {@code el} adds to the model, all its repeats together, in layers, block uses and
     * tensor steps; at most one more than the limit. {@code tensor}: it names a tensor in scope;
     * {@code active}: the blocks being elaborated around it, which it cannot use.
     */
    long of(Element el, Map<String, Value> env, boolean tensor, Collection<String> active) {
        if (!tensor && active.contains(el.name().name())) return 1; // recursive: elaboration reports it
        return of(el, env, tensor);
    }

    private long of(Element el, Map<String, Value> env, boolean tensor) {
        steps++;
        int times = ModelChecker.repeatCount(el, env, new Diagnostics());
        if (times < 0) return 0; // elaboration stops at the invalid count
        Optional<Decl.Block> block = tensor ? Optional.empty() : symbols.block(el.name().name());
        if (block.isEmpty()) return Math.min(over, times);
        Decl.Block b = block.get();
        if (sizing.contains(b.name().name())) return 1; // recursive: elaboration stops at the first use
        Map<String, Value> params = ModelChecker.bindBlockParams(el, b, env, new Diagnostics());
        if (params == null) return 1; // elaboration stops at the bad argument
        return Math.min(over, times * (1 + body(b, params)));
    }

    private long body(Decl.Block b, Map<String, Value> params) {
        Key key = new Key(b.name().name(), withoutSpans(params));
        Long known = bodies.get(key);
        if (known != null) return known;
        sizing.push(b.name().name());
        Set<String> tensors = new HashSet<>();
        if (b.inputs().isEmpty()) tensors.add("input");
        for (Ident in : b.inputs()) tensors.add(in.name());
        long total = 0;
        statements:
        for (Stmt stmt : b.body()) {
            for (List<Element> chain : chains(stmt)) {
                for (Element el : chain) {
                    boolean tensor = !el.called() && el.args().isEmpty() && tensors.contains(el.name().name());
                    total = Math.min(over, total + of(el, params, tensor));
                    if (total >= over) break statements;
                }
            }
            if (stmt instanceof Stmt.Let let) for (Ident n : let.names()) tensors.add(n.name());
            if (stmt instanceof Stmt.Return) break; // elaboration reports what follows and skips it
        }
        sizing.pop();
        bodies.put(key, total);
        return total;
    }

    private static List<List<Element>> chains(Stmt stmt) {
        if (stmt instanceof Stmt.Let let) return List.of(let.chain());
        if (stmt instanceof Stmt.Chain c) return List.of(c.chain());
        return ((Stmt.Return) stmt).chains();
    }

    private static Map<String, Value> withoutSpans(Map<String, Value> params) {
        Map<String, Value> out = new HashMap<>();
        params.forEach((name, v) -> out.put(name, withoutSpan(v)));
        return out;
    }

    private static Value withoutSpan(Value v) {
        if (v instanceof Value.Num n) return new Value.Num(n.value(), n.integral(), n.percent(), n.degrees(), null);
        if (v instanceof Value.Str s) return new Value.Str(s.value(), null);
        if (v instanceof Value.Word w) return new Value.Word(w.value(), null);
        if (v instanceof Value.Sizes s) return new Value.Sizes(s.sizes(), null);
        if (v instanceof Value.ShapeV s) return new Value.ShapeV(s.dims(), null);
        if (v instanceof Value.RangeV r) return new Value.RangeV(withoutSpan(r.low()), withoutSpan(r.high()), null);
        return new Value.TensorRef(((Value.TensorRef) v).name(), null);
    }
}
