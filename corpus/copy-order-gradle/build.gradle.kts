plugins { java }
repositories { mavenCentral() }
