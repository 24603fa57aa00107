package dev.cachet.spring.autoconfigure;

import static dev.cachet.spring.internal.PropertyErrors.naming;

import dev.cachet.CachePolicy;
import dev.cachet.Cachet;
import dev.cachet.CachetBuilder;
import dev.cachet.spring.internal.CachetMethodAdvisor;
import dev.cachet.spring.internal.CachetMethodsCheck;
import dev.cachet.spring.internal.FaithfulMapper;
import dev.cachet.spring.internal.InvalidationSink;
import dev.cachet.spring.internal.MethodCachingRuntimeHints;
import dev.cachet.spring.internal.MethodPlans;
import dev.cachet.store.CacheStore;
import dev.cachet.store.MemoryStore;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cachet for Spring Boot: a {@link Cachet} bean on the configured store (the embedded memory store
 * by default), and {@code @Cached} / {@code @InvalidateCache} on any bean. With
 * {@code cachet.enabled=false} the {@link Cachet} bean caches nothing, the annotations change
 * nothing and no store is built. Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(CachetProperties.class)
@Import(CachetAutoConfiguration.ProxyCreatorRegistrar.class)
@ImportRuntimeHints(MethodCachingRuntimeHints.class)
public class CachetAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = "cachet", name = "store", havingValue = "memory", matchIfMissing = true)
  @ConditionalOnBooleanProperty(name = "cachet.enabled", matchIfMissing = true)
  public CacheStore cachetMemoryStore(CachetProperties properties) {
    DataSize maxSize = properties.getMemory().getMaxSize();
    return naming("cachet.memory.max-size", maxSize, () -> MemoryStore.builder().maximumBytes(maxSize.toBytes()))
        .maintenanceExecutor(java.util.concurrent.ForkJoinPool.commonPool()) // off request threads
        .build();
  }

  /**
   * The cache. Closing the context closes it (its refresh pool and invalidation retries stop)
   * before the store: the store is injected, so Spring destroys the cache as the store's
   * dependent. A cache built on a given store never closes that store; its bean's own destroy
   * method does (or does not, as the application declared it).
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Cachet cachet(CachetProperties properties, @Nullable CacheStore store) {
    if (!properties.isEnabled()) {
      return Cachet.noop();
    }
    if (store == null) {
      throw new IllegalStateException(
          "cachet.store=" + properties.getStore().name().toLowerCase(java.util.Locale.ROOT)
              + " but no CacheStore bean exists: add the matching module (cachet-redis or"
              + " cachet-memcached) to the class path, or set cachet.store=memory");
    }
    CachetBuilder b = Cachet.builder().store(store);
    naming("cachet.namespace", properties.getNamespace(), () -> b.namespace(properties.getNamespace()));
    naming("cachet.default-ttl", properties.getDefaultTtl(),
        () -> b.defaultPolicy(CachePolicy.ofTtl(properties.getDefaultTtl())));
    naming("cachet.max-wait", properties.getMaxWait(), () -> b.maxWait(properties.getMaxWait()));
    naming("cachet.version-ttl", properties.getVersionTtl(), () -> b.versionTtl(properties.getVersionTtl()));
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static CachetMethodAdvisor cachetMethodAdvisor(
      ObjectProvider<Cachet> cachet, ObjectProvider<CachetProperties> properties,
      ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<InvalidationSink> sink,
      ConfigurableListableBeanFactory beanFactory) {
    JsonMapper keyMapper =
        JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    MethodPlans plans =
        new MethodPlans(
            () -> properties.getObject().getDefaultTtl(),
            SingletonSupplier.of(() -> FaithfulMapper.of(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()))),
            keyMapper,
            type -> beanFactory.getBeanNamesForType(type, true, false).length > 0);
    return new CachetMethodAdvisor(cachet::getObject, plans, sink::getIfAvailable);
  }

  /**
   * Fails the start for an annotated method no proxy can intercept ({@code final},
   * {@code private}, {@code static}) and for {@code @Cached} keys that collide across methods.
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  public static CachetMethodsCheck cachetMethodsCheck(ObjectProvider<CachetMethodAdvisor> advisor) {
    return new CachetMethodsCheck(advisor);
  }

  /** Makes sure an auto-proxy creator exists and proxies classes, as {@code @EnableCaching} does. */
  static class ProxyCreatorRegistrar implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
      AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
  }
}
