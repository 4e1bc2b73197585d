rootProject.name = "ktor-api"
