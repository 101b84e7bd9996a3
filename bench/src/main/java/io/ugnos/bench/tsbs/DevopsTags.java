package io.ugnos.bench.tsbs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The tag domains of TSBS's devops use case (timescale/tsbs {@code pkg/data/usecases/devops/host.go})
 * and the per-host draw. Values are drawn in TSBS's order (region, datacenter, rack, arch, os,
 * service, service_version, service_environment, team); the random stream is ours, so tag values
 * are not those Go's {@code math/rand} would produce.
 */
final class DevopsTags {
    /** Region to its availability zones, as in TSBS. */
    static final Map<String, List<String>> DATACENTERS_BY_REGION = regions();
    static final List<String> REGIONS = List.copyOf(DATACENTERS_BY_REGION.keySet());
    static final List<String> OS = List.of("Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10");
    static final List<String> ARCH = List.of("x64", "x86");
    static final List<String> TEAM = List.of("SF", "NYC", "LON", "CHI");
    static final List<String> SERVICE_ENVIRONMENT = List.of("production", "staging", "test");
    static final int RACKS = 100;
    static final int SERVICES = 20;
    static final int SERVICE_VERSIONS = 2;

    private DevopsTags() {
    }

    /** Draws the ten tags of host {@code index} from {@code rng}. */
    static SortedMap<String, String> draw(int index, SplitMix64 rng) {
        SortedMap<String, String> tags = new TreeMap<>();
        tags.put("hostname", "host_" + index);
        String region = pick(REGIONS, rng);
        tags.put("region", region);
        tags.put("datacenter", pick(DATACENTERS_BY_REGION.get(region), rng));
        tags.put("rack", Integer.toString(rng.nextInt(RACKS)));
        tags.put("arch", pick(ARCH, rng));
        tags.put("os", pick(OS, rng));
        tags.put("service", Integer.toString(rng.nextInt(SERVICES)));
        tags.put("service_version", Integer.toString(rng.nextInt(SERVICE_VERSIONS)));
        tags.put("service_environment", pick(SERVICE_ENVIRONMENT, rng));
        tags.put("team", pick(TEAM, rng));
        return tags;
    }

    private static String pick(List<String> choices, SplitMix64 rng) {
        return choices.get(rng.nextInt(choices.size()));
    }

    private static Map<String, List<String>> regions() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("us-east-1", List.of("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1e"));
        m.put("us-west-1", List.of("us-west-1a", "us-west-1b"));
        m.put("us-west-2", List.of("us-west-2a", "us-west-2b", "us-west-2c"));
        m.put("eu-west-1", List.of("eu-west-1a", "eu-west-1b", "eu-west-1c"));
        m.put("eu-central-1", List.of("eu-central-1a", "eu-central-1b"));
        m.put("ap-southeast-1", List.of("ap-southeast-1a", "ap-southeast-1b"));
        m.put("ap-southeast-2", List.of("ap-southeast-2a", "ap-southeast-2b"));
        m.put("ap-northeast-1", List.of("ap-northeast-1a", "ap-northeast-1c"));
        m.put("sa-east-1", List.of("sa-east-1a", "sa-east-1b", "sa-east-1c"));
        return java.util.Collections.unmodifiableMap(m);
    }
}
