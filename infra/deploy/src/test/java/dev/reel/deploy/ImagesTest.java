package dev.reel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every {@code reel/...} image the deployment files run is one the build defines, as the build defines it. */
class ImagesTest {

    private static final Pattern LAUNCHER_IMAGE = Pattern.compile("-Djib\\.to\\.image=(reel/launcher:\\S+)");
    private static final Pattern LAUNCHER_MAIN = Pattern.compile("-Djib\\.container\\.mainClass=(\\S+)");

    /** The images the build makes: the services' Jib configurations plus the launcher's command in README.md. */
    static Set<String> builtImages() {
        Set<String> images = new TreeSet<>();
        Arrays.stream(Service.values()).forEach(s -> images.add(JibImages.of(s).image()));
        Matcher launcher = LAUNCHER_IMAGE.matcher(Repo.read(Repo.DEPLOY.resolve("README.md")));
        assertThat(launcher.find()).as("README.md gives the launcher image's jib command").isTrue();
        images.add(launcher.group(1).replace("${project.version}", Repo.VERSION));
        return images;
    }

    @Test
    void eachServiceBuildsItsImageWithItsMainClassAndPort() {
        for (Service service : Service.values()) {
            JibImages jib = JibImages.of(service);

            assertThat(jib.image()).isEqualTo(service.imageRepository + ":" + Repo.VERSION);
            Path main = Repo.ROOT.resolve(service.module).resolve("src/main/java")
                    .resolve(jib.mainClass().replace('.', '/') + ".java");
            assertThat(main).as(service + " main class").exists();
            assertThat(Repo.read(main)).contains("public static void main(");
            assertThat(jib.ports()).as(service + " image ports").hasSize(1);
        }
    }

    @Test
    void servicesThatRunFfmpegBuildOnTheMediaBaseImage() throws Exception {
        for (Service service : List.of(Service.INGEST, Service.TRANSCODER, Service.EDGE)) {
            assertThat(JibImages.of(service).baseImage()).as(service + " base image").isEqualTo("reel/media-base:25-jre");
        }
        for (Service service : List.of(Service.CATALOG, Service.WEBHOOKS)) {
            assertThat(JibImages.of(service).baseImage()).as(service + " base image").isEqualTo("eclipse-temurin:25-jre");
        }
        Path dockerfile = Repo.DEPLOY.resolve("images/media-base/Dockerfile");
        String text = Files.readString(dockerfile);
        assertThat(text).contains("FROM eclipse-temurin:25-jre").contains("install -y --no-install-recommends ffmpeg")
                .contains("docker build -t reel/media-base:25-jre infra/deploy/images/media-base");
    }

    @Test
    void theLauncherImageRunsTheLauncher() {
        Matcher main = LAUNCHER_MAIN.matcher(Repo.read(Repo.DEPLOY.resolve("README.md")));
        assertThat(main.find()).isTrue();
        assertThat(Repo.ROOT.resolve("infra/launcher/src/main/java").resolve(main.group(1).replace('.', '/') + ".java")).exists();
    }

    @Test
    void everyReelImageReferencedIsBuilt() {
        List<String> referenced = new ArrayList<>();
        ComposeFile.with(ComposeFile.envExample()).services().values().forEach(s -> referenced.add(s.path("image").asText()));
        new Manifests().containers().forEach(c -> referenced.add(c.image()));
        Set<String> built = builtImages();
        List<String> reel = referenced.stream().filter(i -> i.startsWith("reel/")).toList();

        assertThat(reel).isNotEmpty().allSatisfy(image -> assertThat(built).as("images the build defines").contains(image));
        assertThat(reel).as("every built image is deployed").containsAll(built);

        JsonNode kustomization = Repo.yamlDocuments(Manifests.DIR.resolve("kustomization.yaml")).getFirst();
        kustomization.path("images").forEach(i -> assertThat(built)
                .contains(i.path("name").asText() + ":" + i.path("newTag").asText()));
    }
}
