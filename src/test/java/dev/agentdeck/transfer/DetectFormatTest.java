package dev.agentdeck.transfer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DetectFormatTest {
    @Test
    void byName() {
        assertEquals(ImportFormat.PROCFILE, Importers.detect("/srv/app/Procfile", ""));
        assertEquals(ImportFormat.PROCFILE, Importers.detect("Procfile.dev", ""));
        assertEquals(ImportFormat.SUPERVISOR, Importers.detect("/etc/supervisor/conf.d/shop.conf", ""));
        assertEquals(ImportFormat.SUPERVISOR, Importers.detect("supervisord.ini", ""));
        assertEquals(ImportFormat.PM2, Importers.detect("ecosystem.config.json", ""));
        assertEquals(ImportFormat.PM2, Importers.detect("ecosystem.config.js", ""));
        assertEquals(ImportFormat.PM2, Importers.detect("pm2.json", ImportTestFiles.text("pm2-jlist.json")));
        assertEquals(ImportFormat.PM2, Importers.detect("apps.json", "{\"apps\": []}"));
        assertNull(Importers.detect("package.json", "{\"name\": \"shop\", \"version\": \"1.0.0\"}"));
        assertEquals(ImportFormat.PROCESS_COMPOSE, Importers.detect("process-compose.yaml",
                ImportTestFiles.text("process-compose.yaml")));
        assertEquals(ImportFormat.PM2, Importers.detect("pm2.yml", "apps:\n  - script: app.js\n"));
        assertNull(Importers.detect("docker-compose.yml", "services:\n  web:\n    image: nginx\n"));
    }

    @Test
    void byContentWhenTheNameDoesNotTell() {
        assertEquals(ImportFormat.SUPERVISOR, Importers.detect("shop", ImportTestFiles.text("supervisord.conf")));
        assertEquals(ImportFormat.PROCESS_COMPOSE, Importers.detect(null, ImportTestFiles.text("process-compose.yaml")));
        assertEquals(ImportFormat.PM2, Importers.detect("paste", ImportTestFiles.text("ecosystem.config.json")));
        assertEquals(ImportFormat.PROCFILE, Importers.detect("procs", "# x\nweb: ./web\nworker: ./work --fast\n"));
        assertNull(Importers.detect("notes.txt", "hello world\nnothing here"));
        assertNull(Importers.detect("empty", ""));
    }
}
