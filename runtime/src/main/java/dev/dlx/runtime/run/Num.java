package dev.dlx.runtime.run;

import java.math.BigDecimal;
import java.util.Locale;

/** Numbers as people write them: `0.001`, `1e-07`, `64`, `0.9`. */
final class Num {
    private Num() {}

    static String compact(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e9) {
            return new BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
        }
        String s = String.format(Locale.ROOT, "%.4e", v);
        String mantissa = s.substring(0, s.indexOf('e')), exponent = s.substring(s.indexOf('e') + 1);
        mantissa = new BigDecimal(mantissa).stripTrailingZeros().toPlainString();
        int e = Integer.parseInt(exponent);
        return mantissa + "e" + (e < 0 ? "-" : "") + String.format(Locale.ROOT, "%02d", Math.abs(e));
    }
}
