package io.kbench.bench;

import java.util.ArrayList;
import java.util.List;

/** {@code --name value} and {@code --flag} options of the benchmark mains (unknown options are ignored). */
final class Args {

    private final List<String> args;
    private final List<String> used = new ArrayList<>();

    Args(String[] args) {
        this.args = List.of(args);
    }

    String opt(String name, String fallback) {
        used.add(name);
        int i = args.indexOf(name);
        if (i < 0) {
            return fallback;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args.get(i + 1);
    }

    List<String> all(String name) {
        used.add(name);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals(name)) {
                out.add(args.get(i + 1));
            }
        }
        return out;
    }

    int intOpt(String name, int fallback) {
        String v = opt(name, null);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'", e);
        }
    }

    List<Integer> intList(String name, List<Integer> fallback) {
        String v = opt(name, null);
        if (v == null) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            out.add(Integer.parseInt(part.trim()));
        }
        return out;
    }

    boolean flag(String name) {
        used.add(name);
        return args.contains(name);
    }
}
