package io.ragsync.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as Docker reads it: continuation lines joined, comments dropped, instructions (keyword in any
 * case) grouped by build stage, ENV pairs and exec-form arrays parsed. Hand-written: no Dockerfile parser is among
 * the test dependencies, and the tests need only these few rules.
 */
record Dockerfile(List<Stage> stages) {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String image, String name, List<Instruction> instructions) {

        List<String> arguments(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        /** The last instruction of this kind counts (USER, ENTRYPOINT, HEALTHCHECK, EXPOSE). */
        String last(String keyword) {
            List<String> all = arguments(keyword);
            if (all.isEmpty()) {
                throw new AssertionError("stage " + image + " has no " + keyword);
            }
            return all.get(all.size() - 1);
        }

        /** Every ENV of the stage, key=value pairs (or the legacy "ENV key value"). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String arguments : arguments("ENV")) {
                if (!arguments.contains("=")) {
                    String[] legacy = arguments.split("\\s+", 2);
                    env.put(legacy[0], legacy[1]);
                    continue;
                }
                Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)").matcher(arguments);
                while (pair.find()) {
                    env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
                }
            }
            return env;
        }
    }

    static Dockerfile read(Path file) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                logical.add(current.toString().strip());
            }
            current.setLength(0);
        }
        List<Stage> stages = new ArrayList<>();
        for (String line : logical) {
            String[] parts = line.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1].strip() : "");
            if (instruction.keyword().equals("FROM")) {
                String[] from = instruction.arguments().split("\\s+");
                stages.add(new Stage(from[0], from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null, new ArrayList<>()));
            } else {
                stages.get(stages.size() - 1).instructions().add(instruction);
            }
        }
        return new Dockerfile(stages);
    }

    Stage runtime() {
        return stages.get(stages.size() - 1);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + name));
    }

    /** An exec-form command (JSON array), or the shell form run by /bin/sh -c. */
    static List<String> command(String arguments) {
        if (arguments.startsWith("[")) {
            try {
                return new ObjectMapper().readValue(arguments, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new AssertionError("not a JSON array: " + arguments, e);
            }
        }
        return List.of("/bin/sh", "-c", arguments);
    }
}
