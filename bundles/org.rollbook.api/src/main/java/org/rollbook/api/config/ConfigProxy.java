package org.rollbook.api.config;

import java.lang.reflect.Array;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.Map;

/**
 * A component property type (a configuration annotation) backed by a map, the way Declarative
 * Services builds one: a missing key gives the element's default; strings are converted to the
 * element's type, a single value to a one-element array. For checking settings before they are
 * saved, and for building components outside a framework (tests, benchmarks).
 */
public final class ConfigProxy {
    private ConfigProxy() {
    }

    @SuppressWarnings("unchecked")
    public static <A> A of(Class<A> type, Map<String, ?> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + values;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    Object v = values.get(method.getName());
                    return v == null ? method.getDefaultValue() : convert(v, method.getReturnType(), method.getName());
            }
        });
    }

    private static Object convert(Object v, Class<?> to, String name) {
        if (to.isArray()) {
            Object[] items = v instanceof Collection<?> c ? c.toArray() : v.getClass().isArray() ? boxed(v) : new Object[] {v};
            Object out = Array.newInstance(to.getComponentType(), items.length);
            for (int i = 0; i < items.length; i++) {
                Array.set(out, i, convert(items[i], to.getComponentType(), name));
            }
            return out;
        }
        if (to.isInstance(v) || (to.isPrimitive() && box(to).isInstance(v))) {
            return v;
        }
        String s = String.valueOf(v).strip();
        try {
            if (to == String.class) {
                return String.valueOf(v);
            } else if (to == int.class || to == Integer.class) {
                return v instanceof Number n ? n.intValue() : Integer.parseInt(s);
            } else if (to == long.class || to == Long.class) {
                return v instanceof Number n ? n.longValue() : Long.parseLong(s);
            } else if (to == boolean.class || to == Boolean.class) {
                return Boolean.parseBoolean(s);
            } else if (to == double.class || to == Double.class) {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + s + "'");
        }
        throw new IllegalArgumentException(name + ": cannot use a " + v.getClass().getSimpleName() + " as " + to.getSimpleName());
    }

    private static Object[] boxed(Object array) {
        Object[] out = new Object[Array.getLength(array)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.get(array, i);
        }
        return out;
    }

    private static Class<?> box(Class<?> primitive) {
        return primitive == int.class ? Integer.class : primitive == long.class ? Long.class
                : primitive == boolean.class ? Boolean.class : primitive == double.class ? Double.class : primitive;
    }
}
